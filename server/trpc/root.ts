import { createCallerFactory, router } from "./init";
import { analyticsRouter } from "./routers/analytics";
import { auditRouter } from "./routers/audit";
import { billingRouter } from "./routers/billing";
import { cabinetRouter } from "./routers/cabinet";
import { campaignResultsRouter } from "./routers/campaign-results";
import { campaignsRouter } from "./routers/campaigns";
import { dataExportRouter } from "./routers/data-export";
import { guestRouter } from "./routers/guest";
import { guestImportRouter } from "./routers/guest-import";
import { guestsRouter } from "./routers/guests";
import { integrationsRouter } from "./routers/integrations";
import { locationsRouter } from "./routers/locations";
import { loyaltyRouter } from "./routers/loyalty";
import { menuRouter } from "./routers/menu";
import { offersRouter } from "./routers/offers";
import { ordersRouter } from "./routers/orders";
import { posRouter } from "./routers/pos";
import { roiRouter } from "./routers/roi";
import { setupRouter } from "./routers/setup";
import { shopRouter } from "./routers/shop";
import { staffRouter } from "./routers/staff";

export const appRouter = router({
  pos: posRouter,
  staff: staffRouter,
  audit: auditRouter,
  guests: guestsRouter,
  guestImport: guestImportRouter,
  integrations: integrationsRouter,
  analytics: analyticsRouter,
  campaignResults: campaignResultsRouter,
  roi: roiRouter,
  billing: billingRouter,
  locations: locationsRouter,
  orders: ordersRouter,
  menu: menuRouter,
  offers: offersRouter,
  campaigns: campaignsRouter,
  guest: guestRouter,
  shop: shopRouter,
  cabinet: cabinetRouter,
  loyalty: loyaltyRouter,
  setup: setupRouter,
  dataExport: dataExportRouter,
});
export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
