import { Page } from '../../components/page';

export function Component() {
  return <Page title="API Keys">{null}</Page>;
}
