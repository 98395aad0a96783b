import type en from '../en/books.js';

export default {
} satisfies Record<keyof typeof en, string>;
