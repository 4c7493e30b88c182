import type { OperationOutput } from '@wecom-kit/client';
import { useGetExternalContact } from '@wecom-kit/react-hooks';
import { type FormEvent, useEffect, useState } from 'react';
import { formatDate } from './range';
import { Empty, ErrorNotice, Loading } from './Status';
import { TagAction } from './TagAction';

type Contact = OperationOutput<'getExternalContact'>;

const CUSTOMER_TYPES: Record<number, string> = { 1: 'WeChat user', 2: 'WeCom user' };
const GENDERS: Record<number, string> = { 1: 'male', 2: 'female' };

interface CustomerPanelProps {
  externalUserid: string | null;
  onLookup: (externalUserid: string) => void;
}

export function CustomerPanel({ externalUserid, onLookup }: CustomerPanelProps) {
  const [draft, setDraft] = useState(externalUserid ?? '');
  useEffect(() => setDraft(externalUserid ?? ''), [externalUserid]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (draft.trim()) onLookup(draft.trim());
  };

  return (
    <div className="card panel">
      <h2>Customer</h2>
      <form className="lookup" onSubmit={submit}>
        <label htmlFor="external-userid">external_userid</label>
        <div className="row">
          <input
            id="external-userid"
            value={draft}
            placeholder="wm…"
            spellCheck={false}
            onChange={(event) => setDraft(event.target.value)}
          />
          <button type="submit">Look up</button>
        </div>
      </form>
      {externalUserid ? (
        <CustomerDetails externalUserid={externalUserid} />
      ) : (
        <Empty>Pick a customer who reacted to a moment, or look one up by external_userid.</Empty>
      )}
    </div>
  );
}

function CustomerDetails({ externalUserid }: { externalUserid: string }) {
  const contact = useGetExternalContact({ external_userid: externalUserid });
  if (contact.isPending) return <Loading>Loading the customer…</Loading>;
  if (contact.isError) return <ErrorNotice error={contact.error} onRetry={() => contact.refetch()} />;
  const { external_contact: profile, follow_user: followUsers = [] } = contact.data;
  return (
    <div className="customer-details" data-testid="customer">
      <Profile profile={profile} />
      <h3>Followed by {followUsers.length === 1 ? '1 member' : `${followUsers.length} members`}</h3>
      {followUsers.length === 0 ? (
        <Empty>No member follows this customer any more.</Empty>
      ) : (
        <ul className="follow-users">
          {followUsers.map((follow) => (
            <li key={follow.userid} data-testid="follow-user">
              <div className="follow-head">
                <strong>{follow.userid}</strong>
                {follow.remark && <span className="muted">remark “{follow.remark}”</span>}
                <span className="muted">since {formatDate(follow.createtime)}</span>
              </div>
              <div className="chips" data-testid="tags">
                {follow.tags?.length ? (
                  follow.tags.map((tag) => (
                    <span
                      key={tag.tag_id ?? `${tag.group_name}/${tag.tag_name}`}
                      className="chip tag"
                      title={tag.group_name}
                    >
                      {tag.tag_name}
                    </span>
                  ))
                ) : (
                  <span className="muted">No tags yet</span>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
      {followUsers.length > 0 && <TagAction externalUserid={externalUserid} followUsers={followUsers} />}
    </div>
  );
}

function Profile({ profile }: { profile: Contact['external_contact'] }) {
  const details = [
    CUSTOMER_TYPES[profile.type],
    GENDERS[profile.gender ?? 0],
    [profile.position, profile.corp_name].filter(Boolean).join(' at '),
  ].filter(Boolean);
  return (
    <div className="profile">
      {/* Initials instead of the avatar: its URL is on WeCom's CDN, outside this backend. */}
      <span className="avatar" aria-hidden="true">
        {profile.name.slice(0, 1)}
      </span>
      <div>
        <p className="name" data-testid="customer-name">
          {profile.name}
        </p>
        <p className="muted">{details.join(' · ')}</p>
        <p className="muted mono">{profile.external_userid}</p>
      </div>
    </div>
  );
}
