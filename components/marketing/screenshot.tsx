import { getImageProps } from "next/image";

/**
 * The screenshots the end-to-end run writes to public/screenshots/ (Pixel 7 for the guest's pages,
 * a 1366 × 850 laptop for the back-office). The sizes are what the specs take; a new run replaces
 * the files, so they are read at request time rather than imported at build time.
 */
const SHOTS = {
  "storefront-phone": { width: 1082, height: 2202, frame: "phone" },
  "cabinet-phone": { width: 1082, height: 2202, frame: "phone" },
  "order-board": { width: 1366, height: 850, frame: "laptop" },
} as const;

export type ScreenshotName = keyof typeof SHOTS;

/**
 * A screenshot through the image optimizer (resized WebP/AVIF, srcset), lazy by default: they are
 * all below the fold. `getImageProps` renders a plain <img> from the server, so the page ships no
 * image component script.
 */
export function Screenshot({ name, alt }: { name: ScreenshotName; alt: string }) {
  const shot = SHOTS[name];
  const phone = shot.frame === "phone";
  const { props } = getImageProps({
    src: `/screenshots/${name}.png`,
    alt,
    width: shot.width,
    height: shot.height,
    sizes: phone ? "16rem" : "(min-width: 1024px) 36rem, calc(100vw - 2rem)",
  });
  return (
    // biome-ignore lint/performance/noImgElement: these are next/image's own props (getImageProps), without its client script
    <img
      {...props}
      alt={alt}
      className={
        phone
          ? "mx-auto h-auto w-full max-w-64 rounded-[1.75rem] border-8 border-espresso shadow-lg"
          : "h-auto w-full rounded-lg border border-espresso/20 shadow-lg"
      }
    />
  );
}
