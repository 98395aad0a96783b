/** Who owes what as of a date: per client and currency (store/balances.ts's grouped sums), the totals, and the JSON. */
import type { IsoDate } from '../core/dates.js';
import { balanceTotals, clientBalances, type ClientBalance } from '../store/balances.js';
import type { Db } from '../store/db.js';
import { dec } from '../render/format.js';

export interface BalanceReport {
  asOf: IsoDate;
  clients: ClientBalance[];
  totals: ReturnType<typeof balanceTotals>;
}

/** Every client that owes or is owed something (or the one asked for, even at zero). */
export function balanceReport(db: Db, asOf: IsoDate, clientId?: number): BalanceReport {
  const clients = clientBalances(db, { asOf, clientId, nonZero: clientId === undefined });
  return { asOf, clients, totals: balanceTotals(clients) };
}

export function balanceJson(r: BalanceReport) {
  return {
    asOf: r.asOf,
    clients: r.clients.map((b) => ({
      client: b.clientCode,
      name: b.clientName,
      currency: b.currency,
      invoiced: dec(b.invoiced),
      credited: dec(b.credited),
      received: dec(b.received),
      balance: dec(b.balance),
    })),
    totals: r.totals.map((t) => ({ currency: t.currency, clients: t.clients, balance: dec(t.balance) })),
  };
}
