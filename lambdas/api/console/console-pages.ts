/**
 * The support console's run pages: the list of runs and one run with its failures (a running
 * run's page refreshes itself with a meta refresh). Actions are forms that POST to the console's
 * own routes with the page's CSRF token. The frame of every page: ./console-layout.ts.
 */
import type { RunFailure } from '../../shared/contracts/payloads.js';
import { escapeHtml as h } from '../../shared/html.js';
import type { OperatorLogEntry } from '../../shared/store/operator-log.js';
import type { RunRecord } from '../../shared/store/runs.js';
import type { HeldLock } from '../../shared/operations/run-locks.js';
import { actionForm, type ActionSpec } from './action-pages.js';
import { consolePage, frameOptions, scrollTable, statusBadge, type PageFrame } from './console-layout.js';

export { CONSOLE_PAGE_HEADERS, consolePage, type PageFrame } from './console-layout.js';

const status = statusBadge;
const count = (n: number | undefined): string => (n === undefined ? '' : String(n));

/** A period's run lock held now, and what may be done with it (./action-pages.ts). */
export interface LockView extends HeldLock {
  actions: ActionSpec[];
}

const HOLDER_STATE: Record<HeldLock['holder'], string> = {
  running: 'running',
  stopped: 'stopped (its run is gone)',
  unverifiable: 'cannot be checked from here',
};

function locksSection(locks: LockView[], frame: PageFrame): string {
  if (locks.length === 0) return '';
  const rows = locks
    .map(
      (l) =>
        `<tr id="lock-${h(l.period)}"><td>${h(l.period)}</td><td>${h(l.holderRunId)}</td><td><code>${h(l.holderExecution)}</code></td><td>${h(HOLDER_STATE[l.holder])}</td><td>${h(l.acquiredAt)}</td><td class="num">${l.ageHours} h</td>
<td>${l.actions.length === 0 ? '<span class="muted">running: stop its execution first</span>' : l.actions.map((a) => actionForm(a, l.period, frame)).join('')}</td></tr>`,
    )
    .join('\n');
  return `<h2>Run locks</h2><p class="muted">A period is locked while a run bills it; a lock whose run is gone blocks the period until released.</p>
${scrollTable(['Period', 'Run', 'Holder', 'Holder state', 'Taken', '#Age', ''], rows, '', 'locks')}`;
}

export function runsPage(runs: RunRecord[], frame: PageFrame, locks: LockView[] = []): string {
  const rows = runs
    .map(
      (
        r,
      ) => `<tr><td><a href="/console/runs/${encodeURIComponent(r.runId)}">${h(r.runId)}</a></td><td>${h(r.period)}</td>
<td>${status(r.status)}</td><td>${h(r.startedAt)}</td><td class="num">${r.customerCount}</td>
<td class="num">${count(r.issued)}</td><td class="num">${count(r.skipped)}</td><td class="num">${count(r.failed)}</td></tr>`,
    )
    .join('\n');
  return consolePage(
    'Runs',
    `<h1>Runs</h1>
${scrollTable(['Run', 'Period', 'Status', 'Started', '#Customers', '#Issued', '#Skipped', '#Failed'], rows, 'No runs yet.', 'runs')}
${locksSection(locks, frame)}`,
    frameOptions(frame),
  );
}

const subjectOf = (e: OperatorLogEntry): string => {
  const s = e.subject as unknown as Record<string, unknown>;
  return String(s.invoiceNumber ?? s.customerId ?? s.runId ?? s.table ?? s.kind);
};

export function operatorLogSection(entries: OperatorLogEntry[]): string {
  const rows = entries
    .map(
      (e) =>
        `<tr><td>${h(e.at)}</td><td>${h(e.action)}</td><td>${h(subjectOf(e))}</td><td>${h(e.by)}</td><td>${h(e.reason ?? '')}</td><td class="muted">${h(JSON.stringify(e.details ?? {}))}</td></tr>`,
    )
    .join('\n');
  return `<h2 id="operator-log">Operator log</h2>${scrollTable(['When', 'Action', 'Subject', 'By', 'Why', 'Details'], rows, 'No actions yet.', 'operator-log-entries')}`;
}

export interface RunView {
  record: RunRecord;
  /** `retries`: how often the step was retried before it failed (known from the run's ASL). */
  failures: (RunFailure & { retries?: number })[];
  failed: number;
  notices: string[];
  /** Customers issued so far (a running run). */
  issuedSoFar?: number;
  redrivable: boolean;
  operatorLog: OperatorLogEntry[];
}

const form = (action: string, csrf: string, label: string, extra = ''): string =>
  `<form class="inline" method="post" action="${h(action)}"><input type="hidden" name="csrf" value="${h(csrf)}">${extra}<button type="submit">${h(label)}</button></form>`;

export function runPage(view: RunView, frame: PageFrame): string {
  const { csrf } = frame;
  const r = view.record;
  const running = r.status === 'RUNNING';
  const base = `/console/runs/${encodeURIComponent(r.runId)}`;
  const failures = view.failures
    .map(
      (f) =>
        `<tr><td><a href="/console/customers/${encodeURIComponent(f.customerId)}">${h(f.customerId)}</a></td><td>${h(f.step ?? '')}</td><td>${h(f.error)}</td><td class="num">${f.retries ?? ''}</td><td>${h(f.cause.slice(0, 300))}</td></tr>`,
    )
    .join('\n');
  const actions = [
    ...(view.failed > 0 && !running
      ? [
          form(
            `${base}/rerun`,
            csrf,
            `Re-run the ${view.failed} failed customers`,
            '<label for="rerun-reason">Why (optional)</label> <input type="text" id="rerun-reason" name="reason"> ',
          ),
        ]
      : []),
    ...(view.redrivable ? [form(`${base}/redrive`, csrf, 'Redrive (continue where it stopped)')] : []),
  ];
  return consolePage(
    `Run ${r.runId}`,
    `<h1>Run ${h(r.runId)}</h1>
<p>Period ${h(r.period)} · ${status(r.status)} · started ${h(r.startedAt)}${r.finishedAt ? ` · finished ${h(r.finishedAt)}` : ''}</p>
<p>Customers ${r.customerCount}${running ? ` · issued so far ${view.issuedSoFar ?? 0}` : ` · issued <b>${count(r.issued)}</b> · skipped ${count(r.skipped)} · failed <b>${count(r.failed)}</b>`}</p>
${view.notices.map((n) => `<p class="notice">${h(n)}</p>`).join('')}
${actions.length === 0 ? '' : frame.mayAct === false ? `<p class="muted">Your role (${h(frame.role ?? 'read-only')}) may look, not re-run or redrive.</p>` : `<p>${actions.join(' ')}</p>`}
${view.failed > 0 ? `<h2>Failed customers</h2>${scrollTable(['Customer', 'Step', 'Error', '#Retries', 'Cause'], failures, 'None.', 'failures')}${view.failed > view.failures.length ? `<p class="muted">and ${view.failed - view.failures.length} more (see the run's failures list)</p>` : ''}` : ''}
${operatorLogSection(view.operatorLog)}`,
    { ...frameOptions(frame), ...(running ? { refreshSeconds: 1 } : {}) },
  );
}
