/** The English catalogue: every area's messages (one file per area, the same keys in ../fr/). */
import books from './books.js';
import common from './common.js';
import digest from './digest.js';
import documents from './documents.js';
import dunning from './dunning.js';
import logo from './logo.js';

export const EN = { ...common, ...documents, ...dunning, ...books, ...digest, ...logo };
export type MessageKey = keyof typeof EN;
