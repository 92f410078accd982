/** Which support role a caller is in (infra/support-role-names.ts): what the console offers it. */
import { callerRole, supportRoleNames } from '../../../infra/support-role-names.js';

describe('caller role', () => {
  const names = supportRoleNames('invoicer-prod');

  it('tells the read-only support role and the operator role apart by the assumed-role name', () => {
    expect(callerRole('arn:aws:sts::123456789012:assumed-role/invoicer-prod-support/anna', names)).toEqual({
      name: 'support (read-only, invoicer-prod-support)',
      mayAct: false,
    });
    expect(callerRole('arn:aws:sts::123456789012:assumed-role/invoicer-prod-operator/ben', names)).toEqual({
      name: 'operator (invoicer-prod-operator)',
      mayAct: true,
    });
  });

  it("leaves any other principal to IAM (another stage's role, a user): actions shown, AWS decides", () => {
    expect(callerRole('arn:aws:sts::123456789012:assumed-role/invoicer-dev-support/anna', names).mayAct).toBe(
      true,
    );
    expect(callerRole('arn:aws:iam::123456789012:user/billing-admin', names)).toEqual({
      name: 'IAM principal user/billing-admin',
      mayAct: true,
    });
  });
});
