import * as assert from 'node:assert/strict';
import { hostEvent, panelEvent, parseHostMessage, parseWebviewMessage, type RequestMessage } from '../../../src/shared/analytics-protocol/messages';
import { PendingRequests, answerRequest, type RequestHandlers } from '../../../src/shared/analytics-protocol/requests';
import { sampleReport } from './sampleReport';

const choices = { providers: ['openai' as const], models: [{ provider: 'openai' as const, model: 'gpt-4o' }], tasks: ['generate' as const] };

describe('analytics panel protocol', () => {
  describe('messages from the webview (checked by the host)', () => {
    it('accepts a getReport request with a valid filter', () => {
      const parsed = parseWebviewMessage({ kind: 'request', id: 1, method: 'getReport', params: { filter: { period: { kind: 'today' }, model: 'gpt-4o' } } });
      assert.ok(parsed.ok);
      assert.deepEqual(parsed.message, { kind: 'request', id: 1, method: 'getReport', params: { filter: { period: { kind: 'today' }, model: 'gpt-4o' } } });
    });

    it('accepts an export request for each format, HTML included', () => {
      for (const format of ['json', 'csv', 'prometheus', 'html']) {
        const parsed = parseWebviewMessage({ kind: 'request', id: 7, method: 'exportReport', params: { filter: { period: { kind: 'thisMonth' } }, format } });
        assert.ok(parsed.ok, format);
      }
    });

    it('rejects unknown methods, bad ids and invalid params, naming the problem', () => {
      const cases: [unknown, RegExp][] = [
        [{ kind: 'request', id: 1, method: 'deleteLedger', params: {} }, /not a panel message/],
        [{ kind: 'request', id: 0, method: 'getReport', params: { filter: { period: { kind: 'today' } } } }, /not a panel message/],
        [{ kind: 'request', id: 1.5, method: 'getReport', params: { filter: { period: { kind: 'today' } } } }, /not a panel message/],
        [{ kind: 'request', id: 2, method: 'getReport', params: { filter: { period: { kind: 'yesterday' } } } }, /invalid request getReport #2: filter\.period/],
        [{ kind: 'request', id: 3, method: 'getReport', params: { filter: { period: { kind: 'custom', from: 10, to: 5 } } } }, /must end after it starts/],
        [{ kind: 'request', id: 4, method: 'exportReport', params: { filter: { period: { kind: 'today' } }, format: 'xlsx' } }, /invalid request exportReport #4: format/],
        [{ kind: 'request', id: 5, method: 'getReport', params: { filter: { period: { kind: 'today' }, provider: 'evil.example' } } }, /filter\.provider/],
        [{ kind: 'event', name: 'rendered', payload: { at: 'soon' } }, /invalid event rendered/],
        [{ kind: 'event', name: 'runScript', payload: {} }, /not a panel message/],
        ['getReport', /not a panel message \(string\)/],
        [null, /not a panel message/],
      ];
      for (const [raw, problem] of cases) {
        const parsed = parseWebviewMessage(raw);
        assert.equal(parsed.ok, false, JSON.stringify(raw));
        if (!parsed.ok) assert.match(parsed.problem, problem);
      }
    });

    it('accepts the webview events', () => {
      assert.ok(parseWebviewMessage(panelEvent('ready', {})).ok);
      assert.ok(parseWebviewMessage(panelEvent('rendered', { at: 1_700_000_000_000, sinceLoadMs: 120, generatedAt: 1_700_000_000_000 })).ok);
      assert.ok(parseWebviewMessage(panelEvent('problem', { message: 'x' })).ok);
    });
  });

  describe('messages from the host (checked by the webview)', () => {
    it('accepts replies and host events', () => {
      assert.ok(parseHostMessage({ kind: 'reply', id: 3, ok: true, result: { anything: 1 } }).ok);
      assert.ok(parseHostMessage({ kind: 'reply', id: 3, ok: false, error: 'no ledger' }).ok);
      assert.ok(parseHostMessage(hostEvent('ledgerChanged', {})).ok);
      assert.ok(parseHostMessage(hostEvent('applyFilter', { filter: { period: { kind: 'last30Days' }, task: 'review' } })).ok);
    });

    it('rejects malformed replies and events', () => {
      assert.equal(parseHostMessage({ kind: 'reply', id: 3, ok: false }).ok, false);
      assert.equal(parseHostMessage({ kind: 'reply', id: -1, ok: true, result: {} }).ok, false);
      assert.equal(parseHostMessage({ kind: 'event', name: 'applyFilter', payload: { filter: { period: { kind: 'never' } } } }).ok, false);
      assert.equal(parseHostMessage({ kind: 'event', name: 'eval', payload: {} }).ok, false);
    });
  });

  describe('pairing replies with requests by id', () => {
    function channel() {
      const sent: RequestMessage[] = [];
      const pending = new PendingRequests((m) => sent.push(m));
      return { sent, pending };
    }

    it('gives each request its own id and resolves each with the reply carrying that id, in any order', async () => {
      const { sent, pending } = channel();
      const first = pending.request('getReport', { filter: { period: { kind: 'today' } } });
      const second = pending.request('exportReport', { filter: { period: { kind: 'today' } }, format: 'csv' });
      assert.equal(sent.length, 2);
      const [a, b] = sent;
      assert.ok(a && b);
      assert.notEqual(a.id, b.id);
      assert.equal(pending.settle({ kind: 'reply', id: b.id, ok: true, result: { saved: true, fileName: 'usage.csv' } }), 'resolved');
      const report = sampleReport();
      assert.equal(pending.settle({ kind: 'reply', id: a.id, ok: true, result: { report, choices, costTrend: report.costPerDay } }), 'resolved');
      assert.deepEqual(await second, { saved: true, fileName: 'usage.csv' });
      assert.deepEqual((await first).report.totals, report.totals);
      assert.equal(pending.size, 0);
    });

    it('ignores a reply whose id was never asked or was already answered', async () => {
      const { sent, pending } = channel();
      const asked = pending.request('exportReport', { filter: { period: { kind: 'today' } }, format: 'json' });
      assert.equal(pending.settle({ kind: 'reply', id: 999, ok: true, result: { saved: false } }), 'unknown-id');
      const id = sent[0]?.id ?? 0;
      assert.equal(pending.settle({ kind: 'reply', id, ok: true, result: { saved: false } }), 'resolved');
      assert.equal(pending.settle({ kind: 'reply', id, ok: true, result: { saved: true } }), 'unknown-id');
      assert.deepEqual(await asked, { saved: false });
    });

    it("validates a result against the schema of the request with that id, not any other", async () => {
      const { sent, pending } = channel();
      const asked = pending.request('getReport', { filter: { period: { kind: 'today' } } });
      // An export result is a valid reply to some request — but not to this one.
      assert.equal(pending.settle({ kind: 'reply', id: sent[0]?.id ?? 0, ok: true, result: { saved: true } }), 'invalid-result');
      await assert.rejects(asked, /reply to getReport was malformed \(report:/);
    });

    it("rejects with the host's error text", async () => {
      const { sent, pending } = channel();
      const asked = pending.request('getReport', { filter: { period: { kind: 'today' } } });
      assert.equal(pending.settle({ kind: 'reply', id: sent[0]?.id ?? 0, ok: false, error: 'The usage ledger could not be read.' }), 'rejected');
      await assert.rejects(asked, /could not be read/);
    });

    it('rejects everything still waiting when the channel closes', async () => {
      const { pending } = channel();
      const a = pending.request('getReport', { filter: { period: { kind: 'today' } } });
      const b = pending.request('getReport', { filter: { period: { kind: 'last7Days' } } });
      pending.rejectAll('The panel was closed.');
      await assert.rejects(a, /closed/);
      await assert.rejects(b, /closed/);
      assert.equal(pending.size, 0);
    });
  });

  describe('answering requests on the host', () => {
    const report = sampleReport();
    const handlers: RequestHandlers = {
      getReport: async () => ({ report, choices, costTrend: report.costPerDay }),
      exportReport: async ({ format }) => {
        if (format === 'html') throw new Error('The disk is full.');
        return { saved: true, fileName: `usage.${format}` };
      },
    };

    it('replies with the same id and the handler result', async () => {
      const reply = await answerRequest({ kind: 'request', id: 41, method: 'exportReport', params: { filter: { period: { kind: 'today' } }, format: 'csv' } }, handlers);
      assert.deepEqual(reply, { kind: 'reply', id: 41, ok: true, result: { saved: true, fileName: 'usage.csv' } });
    });

    it('turns a thrown error into an error reply for that id', async () => {
      const reply = await answerRequest({ kind: 'request', id: 42, method: 'exportReport', params: { filter: { period: { kind: 'today' } }, format: 'html' } }, handlers);
      assert.deepEqual(reply, { kind: 'reply', id: 42, ok: false, error: 'The disk is full.' });
    });

    it('refuses to send a result that breaks the reply schema', async () => {
      const broken: RequestHandlers = { ...handlers, getReport: async () => ({ report: { ...report, requestsByHour: [1, 2] }, choices, costTrend: report.costPerDay }) };
      const reply = await answerRequest({ kind: 'request', id: 43, method: 'getReport', params: { filter: { period: { kind: 'today' } } } }, broken);
      assert.equal(reply.ok, false);
      if (!reply.ok) assert.match(reply.error, /invalid getReport reply \(report\.requestsByHour/);
    });

    it('round-trips through both validators end to end', async () => {
      const pending = new PendingRequests((m) => {
        const atHost = parseWebviewMessage(JSON.parse(JSON.stringify(m)));
        assert.ok(atHost.ok && atHost.message.kind === 'request');
        void answerRequest(atHost.message, handlers).then((reply) => {
          const atWebview = parseHostMessage(JSON.parse(JSON.stringify(reply)));
          assert.ok(atWebview.ok && atWebview.message.kind === 'reply');
          pending.settle(atWebview.message);
        });
      });
      const { report: received } = await pending.request('getReport', { filter: { period: { kind: 'last7Days' } } });
      assert.deepEqual(received, report);
    });
  });
});
