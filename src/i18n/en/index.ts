/**
 * The English catalogue: every area's messages (one file per area, the same keys in ../fr/), kept
 * area by area: `t()` looks a key up in its area's object (the key's first word), so nothing merges
 * thousands of keys at start-up, and the bundle loads only the areas a run uses (scripts/build.mjs).
 */
import books from './books.js';
import common from './common.js';
import digest from './digest.js';
import documents from './documents.js';
import dunning from './dunning.js';
import logo from './logo.js';

export const EN_AREAS = { common, documents, dunning, books, digest, logo };
export type Area = keyof typeof EN_AREAS;
export type MessageKey = { [A in Area]: keyof (typeof EN_AREAS)[A] }[Area];
