/** Messages of the books area (see ../index.ts). */
export default {
} as const;
