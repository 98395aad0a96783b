import { describe, expect, it } from 'vitest';
import { allocate } from '../../src/core/allocation.js';

describe('allocation, oldest due first', () => {
  const items = [
    { id: 1, number: 'F-3', dueDate: '2026-03-01', issueDate: '2026-01-01', balance: 500 },
    { id: 2, number: 'F-1', dueDate: '2026-01-01', issueDate: '2025-12-01', balance: 300 },
    { id: 3, number: 'F-2', dueDate: '2026-02-01', issueDate: '2026-01-01', balance: 0 },
  ];
  it('settles the oldest due first and leaves the rest on the next', () => {
    expect(allocate(600, items)).toEqual({ parts: [{ id: 2, number: 'F-1', amount: 300, settles: true }, { id: 1, number: 'F-3', amount: 300, settles: false }], credit: 0 });
  });
  it('keeps an overpayment as credit', () => {
    expect(allocate(1000, items).credit).toBe(200);
  });
});
