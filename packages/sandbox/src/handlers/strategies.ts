import {
  CUSTOMER_STRATEGIES,
  createStrategy,
  deleteStrategy,
  editStrategy,
  MOMENT_STRATEGIES,
  privilegesOf,
  requireStrategy,
  requireTagOwner,
  type StrategyKind,
  shelfOf,
} from '../domain/strategies';
import {
  addStrategyTags,
  deleteStrategyTags,
  editStrategyTag,
  listStrategyTags,
} from '../domain/strategy-tags';
import {
  type HandledOperationId,
  type HandlerContext,
  type HandlerTable,
  type SharedContext,
  seconds,
} from './context';

/** The last page of these lists carries no next_cursor at all, unlike WeCom's other lists. */
function withoutEmptyCursor<Page extends { next_cursor?: string }>(page: Page): Page {
  if (page.next_cursor === '') delete page.next_cursor;
  return page;
}

/** The context of one role (list, get, …) in either family: customer or moment strategies. */
type RoleContext<Customer extends HandledOperationId, Moment extends HandledOperationId> =
  | HandlerContext<Customer>
  | HandlerContext<Moment>;

/**
 * The six operations of one strategy family. Both families share every shape but the privilege
 * flags, which `Privilege` types, so each table entry is checked against its own operation.
 */
function strategyOperations<Privilege extends string>(kind: StrategyKind<Privilege>) {
  const scope = `${kind.name}_strategy`;

  const list = (context: RoleContext<'listCustomerStrategies', 'listMomentStrategies'>) => {
    const ids = shelfOf(context.state, kind).strategies.map(({ strategy_id }) => ({ strategy_id }));
    return withoutEmptyCursor(context.page(ids, scope));
  };

  const get = ({ state, input }: SharedContext<'getCustomerStrategy' | 'getMomentStrategy'>) => {
    const shelf = shelfOf(state, kind);
    const strategy = requireStrategy(shelf, input.strategy_id);
    const { range: _range, ...view } = strategy;
    return {
      strategy: { ...view, admin_list: [...view.admin_list], privilege: privilegesOf(kind, shelf, strategy) },
    };
  };

  const getRange = (context: RoleContext<'getCustomerStrategyRange', 'getMomentStrategyRange'>) => {
    const strategy = requireStrategy(shelfOf(context.state, kind), context.input.strategy_id);
    const nodes = strategy.range.map((node) => ({ ...node }));
    return withoutEmptyCursor(context.page(nodes, `${scope}_range:${strategy.strategy_id}`));
  };

  const create = (context: SharedContext<'createCustomerStrategy' | 'createMomentStrategy'>) => ({
    strategy_id: createStrategy(context.state, kind, context.input, seconds(context)).strategy_id,
  });

  const edit = ({ state, input }: SharedContext<'editCustomerStrategy' | 'editMomentStrategy'>) => {
    editStrategy(state, kind, requireStrategy(shelfOf(state, kind), input.strategy_id), input);
    return {};
  };

  const remove = ({ state, input }: SharedContext<'deleteCustomerStrategy' | 'deleteMomentStrategy'>) => {
    deleteStrategy(state, kind, requireStrategy(shelfOf(state, kind), input.strategy_id));
    return {};
  };

  return { list, get, getRange, create, edit, remove };
}

const customer = strategyOperations(CUSTOMER_STRATEGIES);
const moment = strategyOperations(MOMENT_STRATEGIES);

export const strategyHandlers = {
  getStrategyTagList: ({ state, input }) => {
    const owner = input.strategy_id === undefined ? undefined : requireTagOwner(state, input.strategy_id);
    return { tag_group: listStrategyTags(state, input, owner?.strategy_id) };
  },
  addStrategyTag: (context) => {
    const owner = requireTagOwner(context.state, context.input.strategy_id);
    // Documented without strategy_id: the caller knows it.
    const { strategy_id: _known, ...group } = addStrategyTags(
      context.state,
      context.input,
      owner.strategy_id,
      seconds(context),
    );
    return { tag_group: group };
  },
  editStrategyTag: ({ state, input }) => {
    editStrategyTag(state, input);
    return {};
  },
  deleteStrategyTag: ({ state, input }) => {
    deleteStrategyTags(state, input);
    return {};
  },
  listCustomerStrategies: customer.list,
  getCustomerStrategy: customer.get,
  getCustomerStrategyRange: customer.getRange,
  createCustomerStrategy: customer.create,
  editCustomerStrategy: customer.edit,
  deleteCustomerStrategy: customer.remove,
  listMomentStrategies: moment.list,
  getMomentStrategy: moment.get,
  getMomentStrategyRange: moment.getRange,
  createMomentStrategy: moment.create,
  editMomentStrategy: moment.edit,
  deleteMomentStrategy: moment.remove,
} satisfies HandlerTable;
