"use client";

import { useEffect, useId, useRef, useState } from "react";

/**
 * A submit button for what cannot be undone (revoking a till's key, removing a person): the first
 * press only asks, the second (on the question) does it; "cancel" or Escape puts it back.
 */
export function ConfirmSubmitButton({
  label,
  question,
  confirm,
  cancel,
  pending,
  tone = "danger",
}: {
  label: string;
  question: string;
  confirm: string;
  cancel: string;
  pending?: boolean;
  /** "primary" for a step forward that asks first (launching a campaign), not a removal. */
  tone?: "danger" | "primary";
}) {
  const [asking, setAsking] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const askRef = useRef<HTMLButtonElement>(null);
  const wasAsking = useRef(false);
  const questionId = useId();
  useEffect(() => {
    // Focus follows the question: to "yes" when it opens, back to the first button when it closes.
    if (asking) confirmRef.current?.focus();
    else if (wasAsking.current) askRef.current?.focus();
    wasAsking.current = asking;
  }, [asking]);
  const closeOnEscape = (event: React.KeyboardEvent) => {
    if (event.key === "Escape") setAsking(false);
  };
  if (!asking) {
    return (
      <button
        ref={askRef}
        type="button"
        onClick={() => setAsking(true)}
        className={
          tone === "primary"
            ? "rounded-lg bg-espresso px-4 py-2 font-semibold text-crema hover:bg-roast"
            : "text-red-800 underline"
        }
      >
        {label}
      </button>
    );
  }
  return (
    <span className="inline-flex flex-wrap items-center gap-2">
      <span id={questionId}>{question}</span>
      <button
        ref={confirmRef}
        onKeyDown={closeOnEscape}
        aria-describedby={questionId}
        type="submit"
        disabled={pending}
        className={`rounded-lg px-3 py-1 font-semibold disabled:opacity-60 ${tone === "primary" ? "bg-espresso text-crema" : "bg-red-800 text-white"}`}
      >
        {confirm}
      </button>
      <button type="button" onClick={() => setAsking(false)} onKeyDown={closeOnEscape} className="underline">
        {cancel}
      </button>
    </span>
  );
}
