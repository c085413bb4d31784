import { Badge, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useTenant } from '../api/tenant.js';

/** The municipality in the header; before `init` created one, a hint for the operator. */
export function TenantName() {
  const { t } = useTranslation();
  const tenant = useTenant();
  if (tenant.isPending) return null;
  if (tenant.isError) {
    return (
      <Badge color="gray" variant="light" title={t('tenant.notSetUpHint')}>
        {t('tenant.notSetUp')}
      </Badge>
    );
  }
  return (
    <Text component="span" fw={700} data-testid="tenant-name">
      {tenant.data.name}
    </Text>
  );
}
