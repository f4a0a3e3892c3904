import { accountOfArn, assertTrustedAccount } from '../../../src/triggers/account.js';
import { lambdaContext } from '../../helpers/bundle.js';

describe('own account only', () => {
  it.each([
    ['arn:aws:lambda:us-east-1:123456789012:function:rr', '123456789012'],
    ['arn:aws:lambda:us-east-1::function:rr', undefined],
    ['not an arn', undefined],
    [undefined, undefined],
  ])('the account of %s is %s', (arn, account) => {
    // Act & Assess
    expect(accountOfArn(arn)).toBe(account);
  });

  it.each([
    { case: "the function's own", account: '123456789012', trusted: [], passes: true },
    { case: 'a trusted one', account: '111122223333', trusted: ['111122223333'], passes: true },
    { case: 'another', account: '111122223333', trusted: [], passes: false },
    { case: 'a malformed one', account: 'password=x', trusted: [], passes: false },
  ])('$case: passes $passes', ({ account, trusted, passes }) => {
    // Act
    const check = () =>
      assertTrustedAccount(account, 'account', lambdaContext(), { trustedEventAccounts: trusted });

    // Assess
    if (passes) expect(check).not.toThrow();
    else expect(check).toThrow(expect.objectContaining({ name: 'ValidationError' }));
  });

  it('refuses any account when its own is unknown (no Lambda context), naming the setting', () => {
    // Act & Assess
    expect(() =>
      assertTrustedAccount('123456789012', 'account', undefined, { trustedEventAccounts: [] })
    ).toThrow(/own account is unknown .*TRUSTED_EVENT_ACCOUNTS/);
  });

  it('never echoes a malformed account id', () => {
    // Act & Assess
    expect(() =>
      assertTrustedAccount('password=x', 'account', lambdaContext(), { trustedEventAccounts: [] })
    ).toThrow(/names account an invalid account id, not this function's account 123456789012/);
  });
});
