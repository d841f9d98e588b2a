"use client";

import { useEffect, useId, useRef, useState } from "react";

/**
 * A submit button for what cannot be undone (revoking a till's key, removing a person): the first
 * press only asks, the second (on the question) does it; "cancel" or leaving it puts it back.
 */
export function ConfirmSubmitButton({
  label,
  question,
  confirm,
  cancel,
  pending,
}: {
  label: string;
  question: string;
  confirm: string;
  cancel: string;
  pending?: boolean;
}) {
  const [asking, setAsking] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const questionId = useId();
  useEffect(() => {
    if (asking) confirmRef.current?.focus();
  }, [asking]);
  if (!asking) {
    return (
      <button type="button" onClick={() => setAsking(true)} className="text-red-800 underline">
        {label}
      </button>
    );
  }
  return (
    <span className="inline-flex flex-wrap items-center gap-2">
      <span id={questionId}>{question}</span>
      <button
        ref={confirmRef}
        aria-describedby={questionId}
        type="submit"
        disabled={pending}
        className="rounded-lg bg-red-800 px-3 py-1 font-semibold text-white disabled:opacity-60"
      >
        {confirm}
      </button>
      <button type="button" onClick={() => setAsking(false)} className="underline">
        {cancel}
      </button>
    </span>
  );
}
