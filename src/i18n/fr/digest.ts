import type en from '../en/digest.js';

export default {
} satisfies Record<keyof typeof en, string>;
