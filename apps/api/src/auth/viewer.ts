// The caller as the API sees it: the access library's principal.
export { ROLES, type Role, type Principal as Viewer, type Authentication } from '@trustline/access';
