// Small helpers of the seed.

// biome-ignore format: a transliteration table reads best in rows
const TRANSLITERATION: Record<string, string> = {
  а: "a", б: "b", в: "v", г: "g", д: "d", е: "e", ё: "e", ж: "zh", з: "z", и: "i", й: "y", к: "k",
  л: "l", м: "m", н: "n", о: "o", п: "p", р: "r", с: "s", т: "t", у: "u", ф: "f", х: "kh", ц: "ts",
  ч: "ch", ш: "sh", щ: "shch", ъ: "", ы: "y", ь: "", э: "e", ю: "yu", я: "ya",
  ä: "ae", ö: "oe", ü: "ue", ß: "ss",
};

/** Lower-case ASCII for an email's local part (Russian transliterated, German umlauts spelled out). */
export function ascii(text: string): string {
  return [...text.toLowerCase()]
    .map((char) => TRANSLITERATION[char] ?? char)
    .join("")
    .replace(/[^a-z0-9]/g, "");
}

export function words(text: string): string[] {
  return text.trim().split(/\s+/);
}

export function once<T>(make: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => {
    value ??= make();
    return value;
  };
}

export function must<T>(value: T | undefined | null): T {
  if (value === undefined || value === null) throw new Error("seed: a value that must exist is missing");
  return value;
}

export function num(value: number | undefined): number {
  return must(value);
}

export function repeat<T>(value: T, count: number): T[] {
  return Array.from({ length: Math.max(0, count) }, () => value);
}

export function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

export function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

export function toMinutes(clock: string): number {
  const [hours, minutes] = clock.split(":").map(Number);
  return num(hours) * 60 + num(minutes);
}

export function time(date: Date | undefined): number {
  return must(date).getTime();
}

export function addMinutes(date: Date, minutes: number): Date {
  return new Date(time(date) + minutes * 60 * 1000);
}

export function isoDate(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}
