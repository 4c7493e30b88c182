import type { OperationItem } from '@wecom-kit/client';
import { useGetMomentComments, useGetMomentTask } from '@wecom-kit/react-hooks';
import { formatDateTime } from './range';
import { ErrorNotice } from './Status';

type Moment = OperationItem<'getMomentList'>;

const SHOWN_CUSTOMERS = 6;

interface MomentCardProps {
  moment: Moment;
  onOpenCustomer: (externalUserid: string) => void;
}

export function MomentCard({ moment, onOpenCustomer }: MomentCardProps) {
  const enterprise = moment.create_type === 0;
  // Only enterprise moments have a publishing task (WeCom answers 41067 for personal ones).
  const task = useGetMomentTask({ moment_id: moment.moment_id }, { enabled: enterprise });
  const members = task.data?.task_list ?? [];
  const published = members.filter((member) => member.publish_status === 1);
  // Comments and likes are read through a member who published the moment.
  const publisher = enterprise ? published[0]?.userid : moment.creator;

  return (
    <article className="card moment" data-testid="moment">
      <header>
        <span className={`badge ${enterprise ? 'enterprise' : 'personal'}`}>
          {enterprise ? 'Enterprise' : 'Personal'}
        </span>
        <time dateTime={new Date(moment.create_time * 1000).toISOString()}>
          {formatDateTime(moment.create_time)}
        </time>
        {moment.creator && <span className="muted">by {moment.creator}</span>}
      </header>
      <p className="moment-text">{moment.text?.content ?? <em className="muted">No text</em>}</p>
      <Attachments moment={moment} />
      <dl className="facts">
        <div>
          <dt>Publishing</dt>
          <dd>
            {!enterprise ? (
              'Posted by the member'
            ) : task.isPending ? (
              '…'
            ) : task.isError ? (
              <ErrorNotice error={task.error} onRetry={() => task.refetch()} />
            ) : (
              <TaskProgress published={published.length} total={members.length} />
            )}
          </dd>
        </div>
        {publisher ? (
          <Engagement momentId={moment.moment_id} publisher={publisher} onOpenCustomer={onOpenCustomer} />
        ) : (
          enterprise &&
          task.isSuccess && (
            <div>
              <dt>Engagement</dt>
              <dd className="muted">Nobody has published it yet</dd>
            </div>
          )
        )}
      </dl>
    </article>
  );
}

function Attachments({ moment }: { moment: Moment }) {
  const parts = [
    moment.image?.length && `${moment.image.length} image${moment.image.length > 1 ? 's' : ''}`,
    moment.video && 'video',
    moment.link?.title && `link: ${moment.link.title}`,
    moment.location?.name && `at ${moment.location.name}`,
  ].filter(Boolean);
  return parts.length > 0 ? <p className="attachments muted">{parts.join(' · ')}</p> : null;
}

function count(amount: number, noun: string): string {
  return `${amount} ${noun}${amount === 1 ? '' : 's'}`;
}

function TaskProgress({ published, total }: { published: number; total: number }) {
  const percent = total === 0 ? 0 : Math.round((published / total) * 100);
  return (
    <span className="progress" title={`${published} of ${total} members published`}>
      <span className="bar" aria-hidden="true">
        <span style={{ width: `${percent}%` }} />
      </span>
      {published} of {total} members published
    </span>
  );
}

interface EngagementProps {
  momentId: string;
  publisher: string;
  onOpenCustomer: (externalUserid: string) => void;
}

function Engagement({ momentId, publisher, onOpenCustomer }: EngagementProps) {
  const interactions = useGetMomentComments({ moment_id: momentId, userid: publisher });
  if (interactions.isPending) {
    return (
      <div>
        <dt>Engagement</dt>
        <dd>…</dd>
      </div>
    );
  }
  if (interactions.isError) {
    return (
      <div>
        <dt>Engagement</dt>
        <dd>
          <ErrorNotice error={interactions.error} onRetry={() => interactions.refetch()} />
        </dd>
      </div>
    );
  }
  const { comment_list = [], like_list = [] } = interactions.data;
  const customers = [
    ...new Set(
      [...comment_list, ...like_list].flatMap((entry) =>
        entry.external_userid ? [entry.external_userid] : [],
      ),
    ),
  ];
  return (
    <>
      <div>
        <dt>Engagement</dt>
        <dd>
          <span data-testid="comments">{count(comment_list.length, 'comment')}</span> ·{' '}
          <span data-testid="likes">{count(like_list.length, 'like')}</span>
        </dd>
      </div>
      {customers.length > 0 && (
        <div>
          <dt>Customers who reacted</dt>
          <dd className="chips">
            {customers.slice(0, SHOWN_CUSTOMERS).map((externalUserid) => (
              <button
                key={externalUserid}
                type="button"
                className="chip customer-chip"
                onClick={() => onOpenCustomer(externalUserid)}
              >
                {externalUserid}
              </button>
            ))}
            {customers.length > SHOWN_CUSTOMERS && (
              <span className="muted">+{customers.length - SHOWN_CUSTOMERS} more</span>
            )}
          </dd>
        </div>
      )}
    </>
  );
}
