import type { OperationOutput } from '@wecom-kit/client';
import { useGetCorpTagList, useMarkTagMutation } from '@wecom-kit/react-hooks';
import { useState } from 'react';
import { ErrorNotice, Loading } from './Status';

type FollowUser = NonNullable<OperationOutput<'getExternalContact'>['follow_user']>[number];

interface TagActionProps {
  externalUserid: string;
  followUsers: FollowUser[];
}

/**
 * Marks a corp tag on the customer as seen by one member. On success the mutation refreshes this
 * customer's getExternalContact (and the batchGetByUser pages holding them), so the tag appears
 * once WeCom has it.
 */
export function TagAction({ externalUserid, followUsers }: TagActionProps) {
  const tags = useGetCorpTagList();
  const markTag = useMarkTagMutation();
  const [userid, setUserid] = useState(followUsers[0]?.userid ?? '');
  const [tagId, setTagId] = useState('');
  const follow = followUsers.find((candidate) => candidate.userid === userid) ?? followUsers[0];
  const present = new Set(follow?.tags?.map((tag) => tag.tag_id));

  if (tags.isPending) return <Loading>Loading corp tags…</Loading>;
  if (tags.isError) return <ErrorNotice error={tags.error} onRetry={() => tags.refetch()} />;
  const groups = (tags.data.tag_group ?? [])
    .map((group) => ({ ...group, tag: group.tag.filter((tag) => !present.has(tag.id)) }))
    .filter((group) => group.tag.length > 0);

  const submit = () => {
    if (!follow || !tagId) return;
    markTag.mutate(
      { userid: follow.userid, external_userid: externalUserid, add_tag: [tagId] },
      { onSuccess: () => setTagId('') },
    );
  };

  return (
    <form
      className="tag-action"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <h3>Mark a tag</h3>
      <div className="row">
        {followUsers.length > 1 && (
          <select
            aria-label="Member"
            value={follow?.userid}
            onChange={(event) => setUserid(event.target.value)}
          >
            {followUsers.map((candidate) => (
              <option key={candidate.userid} value={candidate.userid}>
                as seen by {candidate.userid}
              </option>
            ))}
          </select>
        )}
        <select aria-label="Tag" value={tagId} onChange={(event) => setTagId(event.target.value)}>
          <option value="">Choose a tag…</option>
          {groups.map((group) => (
            <optgroup key={group.group_id} label={group.group_name}>
              {group.tag.map((tag) => (
                <option key={tag.id} value={tag.id}>
                  {tag.name}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
        <button type="submit" disabled={!tagId || markTag.isPending}>
          {markTag.isPending ? 'Marking…' : 'Mark tag'}
        </button>
      </div>
      {markTag.isError && <ErrorNotice error={markTag.error} />}
    </form>
  );
}
