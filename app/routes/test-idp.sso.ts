import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { answerWithSignedResponse, renderIdentityChooser } from "~/auth/test-idp-pages.server";

export async function loader({ request }: LoaderFunctionArgs) {
  return renderIdentityChooser(request);
}

export async function action({ request }: ActionFunctionArgs) {
  return answerWithSignedResponse(request);
}
