// /api/pos/v1 itself names no procedure: the contract's JSON 404, as for any unknown path (under
// `next dev`; the production server answers it in its fast lane).
export const dynamic = "force-dynamic";

export { DELETE, GET, PATCH, POST, PUT } from "./[...path]/route";
