"use client";

import { type FormEvent, useEffect, useRef, useTransition } from "react";

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

/**
 * The same for a form that stays on the page after it succeeds (create another key, invite
 * another person): what was typed stays after a refusal, and the fields empty once `succeeded`
 * (a new state object of the action each time) says the entry was taken. Spread on the `<form>`.
 */
export function useFormKeepingValues(action: (data: FormData) => void, succeeded: object | false | undefined) {
  const ref = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (succeeded) ref.current?.reset();
  }, [succeeded]);
  return { ref, onSubmit: useSubmitKeepingValues(action) };
}
