"use client";

import { type FormEvent, useTransition } from "react";

/**
 * An `onSubmit` that hands the form's data to its action without React's reset of the fields
 * afterwards (React empties a `<form action>` once its action has run): a refused try keeps what
 * the guest typed. The form keeps `action` too, so it still posts without JavaScript.
 */
export function useSubmitKeepingValues(action: (data: FormData) => void) {
  const [, startTransition] = useTransition();
  return (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget, (event.nativeEvent as SubmitEvent).submitter);
    startTransition(() => action(data));
  };
}
