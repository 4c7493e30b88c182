import { ApiError, invalidParameter } from '../api-error';
import type { SandboxState } from '../state';
import { newConfigId } from '../state/contact-ways';
import type { JoinWay } from '../state/group-chats';
import { requireChat, requireConfigQuota } from './chats';

/* 「加入群聊」 configurations: what WeCom accepts as one, and the changes to them. */

const MAX_JOIN_WAY_REMARK = 30;

/** A configuration as add_join_way and update_join_way take it: the whole of it, omitted fields get defaults. */
export interface JoinWaySettings {
  readonly scene: number;
  readonly remark?: string;
  readonly auto_create_room?: number;
  readonly room_base_name?: string;
  readonly room_base_id?: number;
  readonly chat_id_list: readonly string[];
  readonly state?: string;
}

export function requireJoinWay(state: SandboxState, configId: unknown): JoinWay {
  const way = typeof configId === 'string' ? state.groupChats.joinWays.get(configId) : undefined;
  if (!way) throw new ApiError(41044, 'invalid config_id');
  return way;
}

function joinWayFrom(state: SandboxState, settings: JoinWaySettings, configId: string): JoinWay {
  if (settings.scene !== 1 && settings.scene !== 2) throw invalidParameter('scene must be 1 or 2');
  const chatIds = [...new Set(settings.chat_id_list)];
  for (const chatId of chatIds) requireChat(state, chatId);
  return {
    config_id: configId,
    scene: settings.scene,
    // WeCom cuts an over-long remark instead of refusing it.
    remark: settings.remark?.slice(0, MAX_JOIN_WAY_REMARK) ?? '',
    auto_create_room: settings.auto_create_room ?? 1,
    ...(settings.room_base_name !== undefined && { room_base_name: settings.room_base_name }),
    ...(settings.room_base_id !== undefined && { room_base_id: settings.room_base_id }),
    chat_id_list: chatIds,
    ...(settings.state !== undefined && { state: settings.state }),
  };
}

export function createJoinWay(state: SandboxState, settings: JoinWaySettings): JoinWay {
  const draft = joinWayFrom(state, settings, '');
  requireConfigQuota(state);
  const way = { ...draft, config_id: newConfigId(state.groupChats, 'join_way') };
  state.groupChats.joinWays.set(way.config_id, way);
  return way;
}

/** Replaces the whole configuration, as WeCom does. */
export function updateJoinWay(state: SandboxState, way: JoinWay, settings: JoinWaySettings): void {
  state.groupChats.joinWays.set(way.config_id, joinWayFrom(state, settings, way.config_id));
}

export function deleteJoinWay(state: SandboxState, way: JoinWay): void {
  state.groupChats.joinWays.delete(way.config_id);
}
