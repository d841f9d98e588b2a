import { customerId, type EventHandler } from "./types";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The owner paid in Checkout: the session names the café (client_reference_id) and its customer. */
export const checkoutSessionCompleted: EventHandler = {
  types: ["checkout.session.completed"],
  customerOf: (session) => customerId(session.customer),
  tenantOf: (session) => {
    const reference = session.client_reference_id;
    return typeof reference === "string" && UUID.test(reference) ? reference : null;
  },
};
