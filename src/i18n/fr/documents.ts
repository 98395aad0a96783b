import type en from '../en/documents.js';

export default {
} satisfies Record<keyof typeof en, string>;
