import { type QueryClient, useMutation, useQueryClient } from '@tanstack/react-query';
import { isWecomMutation, wecomKeys } from '@wecom-kit/react-hooks';
import { useEffect, useState } from 'react';
import type { FeedEntry } from '../live-events.mjs';
import { Empty } from './Status';

type CallbackEntry = Extract<FeedEntry, { kind: 'callback' }>;
type WelcomeEntry = Extract<FeedEntry, { kind: 'welcome' }>;
type Connection = 'connecting' | 'live' | 'reconnecting' | 'closed';

/** The backend keeps 100; the page keeps as many, so a long session does not grow without end. */
const MAX_ENTRIES = 100;

const CONNECTION_LABELS: Record<Connection, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  closed: 'Disconnected',
};

/** What each customer-contact change means, keyed `Event/ChangeType`. */
const TITLES: Record<string, string> = {
  'change_external_contact/add_external_contact': 'Customer added',
  'change_external_contact/add_half_external_contact': 'Customer added (pending)',
  'change_external_contact/edit_external_contact': 'Customer edited',
  'change_external_contact/del_external_contact': 'Customer removed by member',
  'change_external_contact/del_follow_user': 'Member removed by customer',
  'change_external_contact/transfer_fail': 'Transfer failed',
  'change_external_chat/create': 'Group chat created',
  'change_external_chat/update': 'Group chat changed',
  'change_external_chat/dismiss': 'Group chat dismissed',
  'change_external_tag/create': 'Tag created',
  'change_external_tag/update': 'Tag changed',
  'change_external_tag/delete': 'Tag deleted',
  'change_external_tag/shuffle': 'Tags reordered',
};

/** The ids worth showing, in this order; ExternalUserID gets its own button. */
const ID_FIELDS = [
  'UserID',
  'ChatId',
  'TagType',
  'Id',
  'StrategyId',
  'State',
  'UpdateDetail',
  'FailReason',
  'Source',
];

interface EventFeedProps {
  onOpenCustomer: (externalUserid: string) => void;
}

/** The callbacks WeCom delivered to the backend, newest first, as they arrive. */
export function EventFeed({ onOpenCustomer }: EventFeedProps) {
  const { entries, connection, canSimulate } = useLiveEvents();
  const callbacks = entries.filter((entry): entry is CallbackEntry => entry.kind === 'callback');
  const welcomes = new Map(
    entries
      .filter((entry): entry is WelcomeEntry => entry.kind === 'welcome')
      .map((entry) => [entry.replyTo, entry]),
  );

  return (
    <div className="card panel live-events" data-testid="live-events">
      <div className="feed-head">
        <h2>Live events</h2>
        <span className={`connection ${connection}`} data-testid="connection">
          {CONNECTION_LABELS[connection]}
        </span>
      </div>
      {canSimulate && <SimulateCustomer />}
      {callbacks.length === 0 ? (
        <Empty>
          No events yet. WeCom calls the backend when a customer adds or removes a member, or when tags and
          group chats change.
        </Empty>
      ) : (
        <ol className="event-list">
          {callbacks.map((entry) => (
            <EventRow
              key={entry.id}
              entry={entry}
              welcome={welcomes.get(entry.id)}
              onOpenCustomer={onOpenCustomer}
            />
          ))}
        </ol>
      )}
    </div>
  );
}

interface EventRowProps {
  entry: CallbackEntry;
  welcome: WelcomeEntry | undefined;
  onOpenCustomer: (externalUserid: string) => void;
}

function EventRow({ entry, welcome, onOpenCustomer }: EventRowProps) {
  const { event } = entry;
  const type = `${String(event.Event)}/${String(event.ChangeType)}`;
  const externalUserid = typeof event.ExternalUserID === 'string' ? event.ExternalUserID : undefined;
  // WeCom's CreateTime is when the change happened; a retried delivery arrives later with the same one.
  const happenedAt = typeof event.CreateTime === 'number' ? event.CreateTime * 1000 : entry.receivedAt;
  return (
    <li className="event" data-testid="event">
      <div className="event-head">
        <strong>{TITLES[type] ?? 'Other message'}</strong>
        <time className="muted" dateTime={new Date(happenedAt).toISOString()}>
          {formatTime(happenedAt)}
        </time>
      </div>
      <p className="muted mono" data-testid="event-type">
        {type}
      </p>
      <div className="chips">
        {externalUserid && (
          <button
            type="button"
            className="chip event-customer"
            title="Open this customer"
            onClick={() => onOpenCustomer(externalUserid)}
          >
            {externalUserid}
          </button>
        )}
        {ID_FIELDS.filter((field) => event[field] !== undefined && event[field] !== '').map((field) => (
          <span key={field} className="chip">
            <span className="muted">{field}</span> {String(event[field])}
          </span>
        ))}
      </div>
      {entry.welcoming && <WelcomeOutcome welcome={welcome} />}
    </li>
  );
}

function WelcomeOutcome({ welcome }: { welcome: WelcomeEntry | undefined }) {
  if (!welcome) return <p className="welcome pending">Sending the welcome message…</p>;
  if (welcome.ok)
    return (
      <p className="welcome sent" data-testid="welcome">
        Welcome message sent
      </p>
    );
  return (
    <p className="welcome failed" data-testid="welcome">
      Welcome message failed{welcome.errcode !== undefined && ` (errcode ${welcome.errcode})`}:{' '}
      {welcome.errmsg}
    </p>
  );
}

/** Only offered when the backend's WeCom is the sandbox, which can pretend a customer added a member. */
function SimulateCustomer() {
  const simulate = useMutation({
    mutationFn: async () => {
      const response = await fetch('/api/demo/simulate-customer', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      const body = (await response.json()) as { errcode: number; errmsg: string };
      if (body.errcode !== 0) throw new Error(`errcode ${body.errcode}: ${body.errmsg}`);
      return body;
    },
  });
  return (
    <div className="simulate">
      <button
        type="button"
        className="secondary"
        disabled={simulate.isPending}
        onClick={() => simulate.mutate()}
      >
        {simulate.isPending ? 'Simulating…' : 'Simulate a new customer'}
      </button>
      {simulate.isError && (
        <p className="status error" role="alert">
          {simulate.error.message}
        </p>
      )}
    </div>
  );
}

/**
 * The backend's event stream. EventSource reconnects by itself and sends the last id it saw, so the
 * backend replays only what was missed; ids are unique, so a replay never shows an entry twice.
 */
function useLiveEvents() {
  const queryClient = useQueryClient();
  const [entries, setEntries] = useState<FeedEntry[]>([]);
  const [connection, setConnection] = useState<Connection>('connecting');
  const [canSimulate, setCanSimulate] = useState(false);

  useEffect(() => {
    const source = new EventSource('/api/events');
    source.onopen = () => setConnection('live');
    source.onerror = () =>
      setConnection(source.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting');
    source.addEventListener('ready', (message) => {
      const ready = JSON.parse(message.data) as { simulate?: boolean };
      setCanSimulate(ready.simulate === true);
    });
    source.onmessage = (message) => {
      const entry = JSON.parse(message.data) as FeedEntry;
      setEntries((current) =>
        current.some((known) => known.id === entry.id) ? current : [entry, ...current].slice(0, MAX_ENTRIES),
      );
      refreshWhatChanged(queryClient, entry);
    };
    return () => source.close();
  }, [queryClient]);

  return { entries, connection, canSimulate };
}

/**
 * An event says WeCom's data changed: what the dashboard cached about it is stale. The page's own
 * writes raise events too (marking a tag is an edit_external_contact); while such a write is under
 * way it refreshes the customer itself once it lands, so the event is left to it, and a fetch
 * already running is left to finish rather than restarted.
 */
function refreshWhatChanged(queryClient: QueryClient, entry: FeedEntry): void {
  if (entry.kind !== 'callback') return;
  const { Event: kind, ExternalUserID: externalUserid } = entry.event;
  const options = { cancelRefetch: false };
  if (kind === 'change_external_contact' && typeof externalUserid === 'string') {
    if (isWritingTo(queryClient, externalUserid)) return;
    const queryKey = wecomKeys.query('getExternalContact', { external_userid: externalUserid });
    queryClient.invalidateQueries({ queryKey }, options);
  } else if (kind === 'change_external_tag') {
    queryClient.invalidateQueries({ queryKey: wecomKeys.operation('getCorpTagList') }, options);
  }
}

function isWritingTo(queryClient: QueryClient, externalUserid: string): boolean {
  const writes = queryClient.isMutating({
    predicate: (mutation) =>
      isWecomMutation(mutation, 'markTag') && mutation.state.variables?.external_userid === externalUserid,
  });
  return writes > 0;
}

function formatTime(ms: number): string {
  return new Date(ms).toLocaleTimeString(undefined, {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
}
