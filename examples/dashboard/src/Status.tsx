import { WecomError } from '@wecom-kit/client';
import type { WecomQueryError } from '@wecom-kit/react-hooks';
import type { ReactNode } from 'react';

export function Loading({ children }: { children: ReactNode }) {
  return (
    <p className="status loading" aria-busy="true">
      <span className="spinner" aria-hidden="true" />
      {children}
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="status empty">{children}</p>;
}

/** WeCom's errcode when WeCom (or the proxy) answered; the kind of failure otherwise. */
export function ErrorNotice({ error, onRetry }: { error: WecomQueryError; onRetry?: () => void }) {
  const title = error instanceof WecomError ? `WeCom errcode ${error.errcode}` : error.name;
  return (
    <div className="status error" role="alert">
      <strong>{title}</strong>
      <span>{error.message}</span>
      {onRetry && (
        <button type="button" className="secondary" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}
