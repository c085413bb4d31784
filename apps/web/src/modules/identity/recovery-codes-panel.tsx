import {
  Alert,
  Button,
  Checkbox,
  Code,
  CopyButton,
  Group,
  SimpleGrid,
  Stack,
  Title,
} from '@mantine/core';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * Recovery codes, shown once (std-5.4.2: a way back in when the second factor is lost). The user
 * confirms having stored them before going on.
 */
export function RecoveryCodesPanel({
  codes,
  onAcknowledged,
}: {
  codes: readonly string[];
  onAcknowledged: () => void;
}) {
  const { t } = useTranslation();
  const [isStored, setIsStored] = useState(false);
  const headingId = useId();
  return (
    <Stack gap="md" component="section" aria-labelledby={headingId}>
      <Title order={2} size="h3" id={headingId}>
        {t('identity.recoveryCodes.title')}
      </Title>
      <Alert color="orange" variant="light" role="note">
        {t('identity.recoveryCodes.warning')}
      </Alert>
      <SimpleGrid
        cols={2}
        spacing="xs"
        component="ul"
        m={0}
        p={0}
        style={{ listStyle: 'none' }}
        data-testid="recovery-codes"
      >
        {codes.map((code) => (
          <li key={code}>
            <Code fz="md">{code}</Code>
          </li>
        ))}
      </SimpleGrid>
      <Group>
        <CopyButton value={codes.join('\n')}>
          {({ copied, copy }) => (
            <Button variant="default" onClick={copy}>
              {copied ? t('identity.copied') : t('identity.recoveryCodes.copy')}
            </Button>
          )}
        </CopyButton>
      </Group>
      <Checkbox
        label={t('identity.recoveryCodes.stored')}
        checked={isStored}
        onChange={(event) => {
          setIsStored(event.currentTarget.checked);
        }}
      />
      <Button disabled={!isStored} onClick={onAcknowledged}>
        {t('identity.recoveryCodes.continue')}
      </Button>
    </Stack>
  );
}
