import { customerId, type EventHandler } from "./types";

/** Created, changed (plan, quantity, status) or ended: the subscription's customer is re-read. */
export const customerSubscription: EventHandler = {
  types: ["customer.subscription.created", "customer.subscription.updated", "customer.subscription.deleted"],
  customerOf: (subscription) => customerId(subscription.customer),
};
