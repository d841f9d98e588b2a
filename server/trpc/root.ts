import { createCallerFactory, router } from "./init";
import { auditRouter } from "./routers/audit";
import { guestsRouter } from "./routers/guests";
import { posRouter } from "./routers/pos";
import { staffRouter } from "./routers/staff";

export const appRouter = router({ pos: posRouter, staff: staffRouter, audit: auditRouter, guests: guestsRouter });
export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
