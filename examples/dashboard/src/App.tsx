import { useState } from 'react';
import { CustomerPanel } from './CustomerPanel';
import { EventFeed } from './EventFeed';
import { MomentList } from './MomentList';
import { type DateRange, DEFAULT_RANGE_DAYS, lastDays, toTimeWindow } from './range';

export function App() {
  const [range, setRange] = useState<DateRange>(() => lastDays(DEFAULT_RANGE_DAYS));
  const [customer, setCustomer] = useState<string | null>(null);
  const timeWindow = toTimeWindow(range);

  return (
    <div className="app">
      <header className="topbar">
        <div>
          <h1>Moments engagement</h1>
          <p>What your team posted to customers' WeChat Moments, who published it, and who reacted.</p>
        </div>
        <form className="range" aria-label="Date range" onSubmit={(event) => event.preventDefault()}>
          <label>
            From
            <input
              type="date"
              value={range.from}
              max={range.to}
              onChange={(event) => setRange({ ...range, from: event.target.value })}
            />
          </label>
          <label>
            To
            <input
              type="date"
              value={range.to}
              min={range.from}
              onChange={(event) => setRange({ ...range, to: event.target.value })}
            />
          </label>
          <button type="button" className="secondary" onClick={() => setRange(lastDays(DEFAULT_RANGE_DAYS))}>
            Last {DEFAULT_RANGE_DAYS} days
          </button>
        </form>
      </header>
      <main className="layout">
        <section className="moments" aria-label="Moments">
          {typeof timeWindow === 'string' ? (
            <p className="status error" role="alert">
              {timeWindow}
            </p>
          ) : (
            <MomentList timeWindow={timeWindow} onOpenCustomer={setCustomer} />
          )}
        </section>
        <aside className="sidebar">
          <section className="customer" aria-label="Customer">
            <CustomerPanel externalUserid={customer} onLookup={setCustomer} />
          </section>
          <section aria-label="Live events">
            <EventFeed onOpenCustomer={setCustomer} />
          </section>
        </aside>
      </main>
    </div>
  );
}
