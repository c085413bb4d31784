export interface TestDbInfo {
  adminUrl: string;
  template: string;
  ownerPassword: string;
  appPassword: string;
}

/** The URL of `database` on the test cluster as the admin, owner or app role. */
export function withDatabase(
  info: TestDbInfo,
  database: string,
  as: 'admin' | 'owner' | 'app',
): string {
  const u = new URL(info.adminUrl);
  u.pathname = `/${database}`;
  if (as === 'owner') {
    u.username = 'mamori_owner';
    u.password = info.ownerPassword;
  } else if (as === 'app') {
    u.username = 'mamori_app';
    u.password = info.appPassword;
  }
  return u.toString();
}
