import { useGetMomentListInfinite } from '@wecom-kit/react-hooks';
import { useEffect, useRef } from 'react';
import { MomentCard } from './MomentCard';
import { Empty, ErrorNotice, Loading } from './Status';

const PAGE_SIZE = 20;

interface MomentListProps {
  timeWindow: { start_time: number; end_time: number };
  onOpenCustomer: (externalUserid: string) => void;
}

export function MomentList({ timeWindow, onOpenCustomer }: MomentListProps) {
  const moments = useGetMomentListInfinite({ ...timeWindow, limit: PAGE_SIZE });
  const { hasNextPage, isFetchingNextPage, isFetchNextPageError, fetchNextPage } = moments;
  const canLoadMore = hasNextPage && !isFetchingNextPage && !isFetchNextPageError;
  const sentinel = useInfiniteScroll(canLoadMore, fetchNextPage);

  // A failed "load more" keeps the pages already shown, with the error at the end of the list.
  if (!moments.data) {
    return moments.error ? (
      <ErrorNotice error={moments.error} onRetry={() => moments.refetch()} />
    ) : (
      <Loading>Loading moments…</Loading>
    );
  }
  const items = moments.data.pages.flatMap((page) => page.items);
  if (items.length === 0) return <Empty>No moments were published in this range.</Empty>;

  return (
    <>
      <p className="summary">
        <strong data-testid="moment-count">{items.length}</strong> moments{hasNextPage ? ' so far' : ''}.
        Newest first: WeCom serves at most 30 days per request, so the latest 30 days come first and each load
        reaches further back.
      </p>
      <ol className="moment-list">
        {items.map((moment) => (
          <li key={moment.moment_id}>
            <MomentCard moment={moment} onOpenCustomer={onOpenCustomer} />
          </li>
        ))}
      </ol>
      <div ref={sentinel} className="list-end">
        {moments.error ? (
          <ErrorNotice
            error={moments.error}
            onRetry={() => (isFetchNextPageError ? fetchNextPage() : moments.refetch())}
          />
        ) : isFetchingNextPage ? (
          <Loading>Loading older moments…</Loading>
        ) : hasNextPage ? (
          <button type="button" className="secondary" onClick={() => fetchNextPage()}>
            Load older moments
          </button>
        ) : (
          <Empty>That is every moment of this range.</Empty>
        )}
      </div>
    </>
  );
}

/** Calls `loadMore` whenever the returned element scrolls into view while `enabled`. */
function useInfiniteScroll(enabled: boolean, loadMore: () => unknown) {
  const sentinel = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = sentinel.current;
    if (!enabled || !element) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) loadMore();
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [enabled, loadMore]);
  return sentinel;
}
