import { Page } from '../../components/page';

export function Component() {
  return <Page title="Org Admins">{null}</Page>;
}
