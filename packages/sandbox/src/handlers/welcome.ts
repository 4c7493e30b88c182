import {
  createTemplate,
  deleteTemplate,
  editTemplate,
  requireOwnTemplate,
  requireTemplate,
  sendWelcome,
} from '../domain/welcome';
import type { HandlerTable } from './context';

export const welcomeHandlers = {
  sendWelcomeMsg: ({ state, input, now }) => {
    sendWelcome(state, input, now);
    return {};
  },
  addGroupWelcomeTemplate: ({ state, input }) => {
    const template = createTemplate(state, input);
    return { template_id: template.template_id };
  },
  editGroupWelcomeTemplate: ({ state, input }) => {
    const template = requireOwnTemplate(state, input.template_id);
    editTemplate(template, input);
    return {};
  },
  getGroupWelcomeTemplate: ({ state, input }) => {
    const template = requireTemplate(state, input.template_id);
    return {
      ...(template.text && { text: template.text }),
      ...(template.part && { [template.part.type]: template.part.value }),
    };
  },
  deleteGroupWelcomeTemplate: ({ state, input }) => {
    deleteTemplate(state, requireOwnTemplate(state, input.template_id));
    return {};
  },
} satisfies HandlerTable;
