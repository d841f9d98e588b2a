import { createCallerFactory, router } from "./init";
import { posRouter } from "./routers/pos";

export const appRouter = router({ pos: posRouter });
export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
