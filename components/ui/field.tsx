import type { InputHTMLAttributes, SelectHTMLAttributes } from "react";

/**
 * A labelled input; the label is always visible (phones and screen readers alike). An `error`
 * marks the field invalid and is read out with it.
 */
export function Field({
  label,
  hint,
  error,
  id,
  ...input
}: InputHTMLAttributes<HTMLInputElement> & { label: string; hint?: string; error?: string; id: string }) {
  const describedBy = [error ? `${id}-error` : null, hint ? `${id}-hint` : null].filter(Boolean).join(" ");
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="font-medium">
        {label}
      </label>
      <input
        id={id}
        aria-describedby={describedBy || undefined}
        aria-invalid={error ? true : undefined}
        className="rounded-lg border border-espresso/40 bg-white px-3 py-2 text-base aria-invalid:border-red-700"
        {...input}
      />
      {error ? (
        <p id={`${id}-error`} className="text-sm font-medium text-red-800">
          {error}
        </p>
      ) : null}
      {hint ? (
        <p id={`${id}-hint`} className="text-sm text-espresso/80">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

/** A labelled choice among `options` (value and text); the label is always visible, like Field's. */
export function SelectField({
  label,
  id,
  options,
  ...select
}: SelectHTMLAttributes<HTMLSelectElement> & {
  label: string;
  id: string;
  options: { value: string; text: string }[];
}) {
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="font-medium">
        {label}
      </label>
      <select id={id} className="rounded-lg border border-espresso/40 bg-white px-3 py-2" {...select}>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.text}
          </option>
        ))}
      </select>
    </div>
  );
}

export function FormError({ message }: { message?: string }) {
  if (!message) return null;
  return (
    <p role="alert" className="rounded-lg border border-red-700 bg-red-50 px-3 py-2 text-red-800">
      {message}
    </p>
  );
}

export function SubmitButton({ children, pending }: { children: React.ReactNode; pending?: boolean }) {
  return (
    <button
      type="submit"
      disabled={pending}
      className="rounded-lg bg-espresso px-4 py-2 font-semibold text-crema hover:bg-roast disabled:opacity-60"
    >
      {children}
    </button>
  );
}
