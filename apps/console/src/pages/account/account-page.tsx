import { Page } from '../../components/page';

export function Component() {
  return <Page title="Your account">{null}</Page>;
}
