/** A plausible reminder with two late invoices, to render every template once (`doctor`). */
import { addDays, type IsoDate } from '../core/dates.js';
import { linkFromPattern } from '../core/documents.js';
import type { Policy } from '../core/dunning.js';
import type { Settings } from '../store/settings.js';
import { businessOf } from '../render/format.js';
import type { Lang, MessageContext } from '../render/templates.js';

export function sampleContext(lang: Lang, s: Settings, asOf: IsoDate, policy: Policy): MessageContext {
  const cur = s.currency;
  const inv = (n: number, days: number, amount: number) => ({
    number: `F-${asOf.slice(0, 4)}-${String(n).padStart(4, '0')}`,
    instalment: 0,
    issueDate: addDays(asOf, -days - 30),
    dueDate: addDays(asOf, -days),
    amount,
    balance: amount,
    currency: cur,
    daysLate: days,
    late: true,
    penalty: 1234,
    indemnity: 4000,
    paymentLink: linkFromPattern(s['payment_link.pattern'], `F-${n}`),
    paymentReference: `RF18 F${n}`,
    newLevel: 2,
  });
  const invoices = [inv(1, 20, 120000), inv(2, 10, 60000)];
  const total = { currency: cur, balance: 180000, penalty: 2468, indemnity: 8000, total: 190468 };
  return {
    lang,
    business: { ...businessOf(s), name: s['business.name'] || 'Entreprise', email: s['business.email'] || 'compta@example.fr' },
    client: { code: 'SAMPLE', name: 'Client Exemple SAS', contactName: 'Service comptabilité', email: 'ap@example.fr', address: ['1 rue de la Paix', '75002 Paris'], consumer: false },
    level: { number: 2, name: 'deuxieme relance' },
    reminderDate: asOf,
    invoices,
    count: invoices.length,
    totals: [total],
    total,
    claimsPenalties: true,
    claimsIndemnity: true,
    penaltyRate: 1215,
    penaltiesAsOf: asOf,
    deadline: addDays(asOf, policy.noticeDays),
    noticeDays: policy.noticeDays,
    paymentLink: null,
    paymentReference: 'RF18 F202 6004 2',
    iban: s['business.iban'],
    bic: s['business.bic'],
    smallClaim: true,
    earlierReminders: 2,
    lastReminderDate: addDays(asOf, -10),
    noticeDate: addDays(asOf, -15),
    references: 'BC-4512',
  };
}

