import type en from '../en/logo.js';

export default {
} satisfies Record<keyof typeof en, string>;
