/** Messages of the logo area (see ../index.ts). */
export default {
} as const;
