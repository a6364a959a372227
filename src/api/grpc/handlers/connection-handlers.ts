import { okStatus } from '../../../errors/index.js';
import { MILVUS_COMPATIBLE_VERSION } from '../../../service/server-version.js';
import type { HandlerFamily } from './rpc-handler.js';

interface ConnectRequest {
  client_info?: { sdk_type?: string; sdk_version?: string; user?: string; host?: string } | null;
}

interface SelectRoleRequest {
  role?: { name?: string } | null;
  include_user_info?: boolean;
}

interface SelectUserRequest {
  user?: { name?: string } | null;
  include_role_info?: boolean;
}

export const DEFAULT_RESOURCE_GROUP = '__default_resource_group';
/** Milvus's built-in roles and user; they exist even with authorization off. */
const BUILT_IN_ROLES = ['admin', 'public'];
const ROOT_USER = 'root';

/** Handshake, version, health, timestamps, and the RBAC/resource-group reads that test harnesses call. */
export const connectionHandlers: HandlerFamily = (service) => ({
  Connect: (request: ConnectRequest) => {
    const info = request.client_info ?? {};
    const session = service.sessions.connect({
      sdkType: info.sdk_type ?? '',
      sdkVersion: info.sdk_version ?? '',
      user: info.user ?? '',
      host: info.host ?? '',
    });
    return {
      status: okStatus,
      server_info: {
        build_tags: MILVUS_COMPATIBLE_VERSION,
        build_time: '',
        git_commit: '',
        go_version: '',
        deploy_mode: 'STANDALONE',
        reserved: { server: 'quiver' },
      },
      identifier: session.identifier,
    };
  },

  GetVersion: () => ({ status: okStatus, version: MILVUS_COMPATIBLE_VERSION }),

  CheckHealth: () => ({ status: okStatus, isHealthy: true, reasons: [], quota_states: [] }),

  GetComponentStates: () => ({
    state: { nodeID: '1', role: 'Proxy', stateCode: 'Healthy', extra_info: [] },
    subcomponent_states: [],
    status: okStatus,
  }),

  AllocTimestamp: async () => ({
    status: okStatus,
    timestamp: (await service.sessions.allocateTimestamp()).toString(),
  }),

  ListResourceGroups: () => ({ status: okStatus, resource_groups: [DEFAULT_RESOURCE_GROUP] }),

  SelectRole: (request: SelectRoleRequest) => {
    const wanted = request.role?.name;
    const roles = wanted ? BUILT_IN_ROLES.filter((r) => r === wanted) : BUILT_IN_ROLES;
    return {
      status: okStatus,
      results: roles.map((name) => ({
        role: { name },
        users: request.include_user_info && name === 'admin' ? [{ name: ROOT_USER }] : [],
      })),
    };
  },

  SelectUser: (request: SelectUserRequest) => {
    const wanted = request.user?.name;
    const users = !wanted || wanted === ROOT_USER ? [ROOT_USER] : [];
    return {
      status: okStatus,
      results: users.map((name) => ({
        user: { name },
        roles: request.include_role_info ? [{ name: 'admin' }] : [],
      })),
    };
  },
});
