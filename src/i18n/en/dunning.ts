/** Messages of the dunning area (see ../index.ts). */
export default {
} as const;
