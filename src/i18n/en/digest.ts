/** Messages of the digest area (see ../index.ts). */
export default {
} as const;
