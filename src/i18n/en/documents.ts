/** Messages of the documents area (see ../index.ts). */
export default {
} as const;
