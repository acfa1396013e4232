import { Page } from '../../components/page';

export function Component() {
  return <Page title="Single sign-on">{null}</Page>;
}
