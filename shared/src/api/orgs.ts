import { z } from 'zod';
import { DisplayNameSchema, EmailSchema, IdSchema } from './common.js';
import { ORG_ROLES, TEAM_ROLES } from '../permissions.js';

export const OrgParamsSchema = z.object({ orgId: IdSchema });
export const OrgMemberParamsSchema = z.object({ orgId: IdSchema, userId: IdSchema });
export const TeamParamsSchema = z.object({ teamId: IdSchema });
export const TeamMemberParamsSchema = z.object({ teamId: IdSchema, userId: IdSchema });

export const CreateOrgBodySchema = z.object({ name: DisplayNameSchema });
export const OrganizationSchema = z.object({ id: IdSchema, name: z.string() });
export type Organization = z.infer<typeof OrganizationSchema>;

export const OrgMemberSchema = z.object({
  userId: IdSchema,
  email: z.string(),
  name: z.string(),
  role: z.enum(ORG_ROLES),
});
export type OrgMember = z.infer<typeof OrgMemberSchema>;
export const OrgMemberListSchema = z.object({ members: z.array(OrgMemberSchema) });

export const AddOrgMemberBodySchema = z.object({ email: EmailSchema, role: z.enum(ORG_ROLES).default('member') });
export type AddOrgMemberBody = z.input<typeof AddOrgMemberBodySchema>;
export const UpdateOrgMemberBodySchema = z.object({ role: z.enum(ORG_ROLES) });

export const CreateTeamBodySchema = z.object({ name: DisplayNameSchema });
export const TeamSchema = z.object({ id: IdSchema, orgId: IdSchema, name: z.string() });
export type Team = z.infer<typeof TeamSchema>;
export const TeamListSchema = z.object({ teams: z.array(TeamSchema) });

export const TeamMemberSchema = z.object({ userId: IdSchema, name: z.string(), role: z.enum(TEAM_ROLES) });
export type TeamMember = z.infer<typeof TeamMemberSchema>;
export const TeamDetailSchema = TeamSchema.extend({ members: z.array(TeamMemberSchema) });
export type TeamDetail = z.infer<typeof TeamDetailSchema>;

export const UpdateTeamBodySchema = z.object({ name: DisplayNameSchema });
export const UpdateTeamMemberBodySchema = z.object({ role: z.enum(TEAM_ROLES) });

export const AddTeamMemberBodySchema = z.object({ userId: IdSchema, role: z.enum(TEAM_ROLES).default('member') });
export type AddTeamMemberBody = z.input<typeof AddTeamMemberBodySchema>;
