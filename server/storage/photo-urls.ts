/**
 * Where uploaded menu photos are served: `/media/menu/<key>-<width>.webp`, one file per stored
 * width, content-addressed (a new photo is a new key), so they are cached as immutable. No
 * imports: the storefront's image helper uses it.
 */
export const PHOTO_WIDTHS = [160, 320, 640, 960] as const;

export const photoStorageKey = (key: string, width: number) => `menu/${key}-${width}.webp`;

export const photoUrl = (key: string, width: number) => `/media/${photoStorageKey(key, width)}`;
