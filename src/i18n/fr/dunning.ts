import type en from '../en/dunning.js';

export default {
} satisfies Record<keyof typeof en, string>;
