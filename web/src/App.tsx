import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import { lazy, type ReactNode, Suspense, useState } from 'react';
import { Route, Routes } from 'react-router';
import { createQueryClient } from './api/query-client';
import { ErrorBoundary } from './components/error-boundary';
import { ForbiddenPage, NotFoundPage } from './components/status-pages';
import { AccountPage, ChangePasswordPage } from './features/auth/account.page';
import { LoginPage } from './features/auth/login.page';
import { FORCED_PASSWORD_PATH, FullPageSpin, RequireAuth, RequireRole } from './features/auth/require-auth';
import { HomePage } from './features/home/home.page';
import { antdLocale } from './i18n';
import { AppLayout } from './layout/app-layout';

// Admin pages load on demand, so the sign-in bundle stays small.
const UnitsPage = lazy(() => import('./features/units/units.page').then((m) => ({ default: m.UnitsPage })));
const JurisdictionsPage = lazy(() =>
  import('./features/jurisdictions/jurisdictions.page').then((m) => ({ default: m.JurisdictionsPage })),
);
const UsersPage = lazy(() => import('./features/users/users.page').then((m) => ({ default: m.UsersPage })));
const AuditPage = lazy(() => import('./features/audit/audit.page').then((m) => ({ default: m.AuditPage })));
const MonitoringPage = lazy(() =>
  import('./features/monitoring/monitoring.page').then((m) => ({ default: m.MonitoringPage })),
);
const SurveyUploadPage = lazy(() =>
  import('./features/monitoring/upload.page').then((m) => ({ default: m.SurveyUploadPage })),
);
const MarginsPage = lazy(() =>
  import('./features/monitoring/margins.page').then((m) => ({ default: m.MarginsPage })),
);
const InstrumentsPage = lazy(() =>
  import('./features/instruments/instruments.page').then((m) => ({ default: m.InstrumentsPage })),
);
const SelfTestPage = lazy(() =>
  import('./features/selftest/selftest.page').then((m) => ({ default: m.SelfTestPage })),
);
const PlansPage = lazy(() => import('./features/plans/plans.page').then((m) => ({ default: m.PlansPage })));
const PlanPage = lazy(() => import('./features/plans/plan.page').then((m) => ({ default: m.PlanPage })));
const PlanImportPage = lazy(() =>
  import('./features/plans/plan-import.page').then((m) => ({ default: m.PlanImportPage })),
);
const InboxPage = lazy(() =>
  import('./features/reporting/inbox.page').then((m) => ({ default: m.InboxPage })),
);
const ReportPage = lazy(() =>
  import('./features/reporting/report.page').then((m) => ({ default: m.ReportPage })),
);
const ReviewPage = lazy(() =>
  import('./features/reporting/review.page').then((m) => ({ default: m.ReviewPage })),
);
const CyclesPage = lazy(() =>
  import('./features/reporting/cycles.page').then((m) => ({ default: m.CyclesPage })),
);
const IndicatorStatusPage = lazy(() =>
  import('./features/reporting/indicator-status.page').then((m) => ({ default: m.IndicatorStatusPage })),
);
const NoticesPage = lazy(() =>
  import('./features/supervision/notices.page').then((m) => ({ default: m.NoticesPage })),
);
const MyNoticesPage = lazy(() =>
  import('./features/supervision/notices.page').then((m) => ({ default: m.MyNoticesPage })),
);
const NoticePage = lazy(() =>
  import('./features/supervision/notice.page').then((m) => ({ default: m.NoticePage })),
);
const AlertsPage = lazy(() =>
  import('./features/supervision/alerts.page').then((m) => ({ default: m.AlertsPage })),
);
const UnitTasksPage = lazy(() =>
  import('./features/plans/unit-tasks.page').then((m) => ({ default: m.UnitTasksPage })),
);
const OverviewPage = lazy(() =>
  import('./features/dashboards/overview.page').then((m) => ({ default: m.OverviewPage })),
);
const PublicDashboardPage = lazy(() =>
  import('./features/dashboards/public-dashboard.page').then((m) => ({ default: m.PublicDashboardPage })),
);
const RegistriesPage = lazy(() =>
  import('./features/registries/registries.page').then((m) => ({ default: m.RegistriesPage })),
);
const PublicVenuesPage = lazy(() =>
  import('./features/registries/public-venues.page').then((m) => ({ default: m.PublicVenuesPage })),
);
const ActivitiesPage = lazy(() =>
  import('./features/activities/activities.page').then((m) => ({ default: m.ActivitiesPage })),
);
const ActivityPage = lazy(() =>
  import('./features/activities/activity.page').then((m) => ({ default: m.ActivityPage })),
);
const ActivityFormPage = lazy(() =>
  import('./features/activities/activity-form.page').then((m) => ({ default: m.ActivityFormPage })),
);
const CoveragePage = lazy(() =>
  import('./features/activities/coverage.page').then((m) => ({ default: m.CoveragePage })),
);
const PublicCalendarPage = lazy(() =>
  import('./features/activities/public-calendar.page').then((m) => ({ default: m.PublicCalendarPage })),
);
const PublicPlansPage = lazy(() =>
  import('./features/plans/public-plan.page').then((m) => ({ default: m.PublicPlansPage })),
);
const AssessmentsPage = lazy(() =>
  import('./features/assessments/assessments.page').then((m) => ({ default: m.AssessmentsPage })),
);
const AssessmentPage = lazy(() =>
  import('./features/assessments/assessment.page').then((m) => ({ default: m.AssessmentPage })),
);
const MyAssessmentsPage = lazy(() =>
  import('./features/assessments/my-assessments.page').then((m) => ({ default: m.MyAssessmentsPage })),
);
const PublicAssessmentsPage = lazy(() =>
  import('./features/assessments/public-assessments.page').then((m) => ({
    default: m.PublicAssessmentsPage,
  })),
);
const DocumentsPage = lazy(() =>
  import('./features/documents/documents.page').then((m) => ({ default: m.DocumentsPage })),
);
const FundingPage = lazy(() =>
  import('./features/funding/funding.page').then((m) => ({ default: m.FundingPage })),
);
const ContentPage = lazy(() =>
  import('./features/content/content.page').then((m) => ({ default: m.ContentPage })),
);
const ForYouPage = lazy(() =>
  import('./features/content/for-you.page').then((m) => ({ default: m.ForYouPage })),
);
const OpenDataPage = lazy(() =>
  import('./features/opendata/open-data.page').then((m) => ({ default: m.OpenDataPage })),
);
const CapacityPage = lazy(() =>
  import('./features/capacity/capacity.page').then((m) => ({ default: m.CapacityPage })),
);
const PublicCapacityPage = lazy(() =>
  import('./features/capacity/public-capacity.page').then((m) => ({ default: m.PublicCapacityPage })),
);
const RecognitionsPage = lazy(() =>
  import('./features/recognitions/recognitions.page').then((m) => ({ default: m.RecognitionsPage })),
);
const PublicRecognitionsPage = lazy(() =>
  import('./features/recognitions/public-recognitions.page').then((m) => ({
    default: m.PublicRecognitionsPage,
  })),
);
const PublicPlanPage = lazy(() =>
  import('./features/plans/public-plan.page').then((m) => ({ default: m.PublicPlanPage })),
);

/** antd (Chinese locale), react-query and the global error boundary. The router is supplied by the caller. */
export function Providers({ children, queryClient }: { children: ReactNode; queryClient?: QueryClient }) {
  const [client] = useState(() => queryClient ?? createQueryClient());
  return (
    <ConfigProvider locale={antdLocale} theme={{ token: { colorPrimary: '#1677ff' } }}>
      <AntApp>
        <ErrorBoundary>
          <QueryClientProvider client={client}>{children}</QueryClientProvider>
        </ErrorBoundary>
      </AntApp>
    </ConfigProvider>
  );
}

export function AppRoutes() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      {/* Public: the published version of each plan needs no sign-in. */}
      <Route
        path="/public/plans"
        element={
          <Suspense fallback={<FullPageSpin />}>
            <PublicPlansPage />
          </Suspense>
        }
      />
      <Route
        path="/public/plans/:id"
        element={
          <Suspense fallback={<FullPageSpin />}>
            <PublicPlanPage />
          </Suspense>
        }
      />
      {/* Public: the dashboard snapshots the admin published need no sign-in. */}
      <Route
        path="/public/dashboard"
        element={
          <Suspense fallback={<FullPageSpin />}>
            <PublicDashboardPage />
          </Suspense>
        }
      />
      {/* Public: open science venues (资源库) need no sign-in. */}
      <Route
        path="/public/venues"
        element={
          <Suspense fallback={<FullPageSpin />}>
            <PublicVenuesPage />
          </Suspense>
        }
      />
      {/* Public: frozen and published 考核 rankings need no sign-in. */}
      <Route
        path="/public/assessments"
        element={
          <Suspense fallback={<FullPageSpin />}>
            <PublicAssessmentsPage />
          </Suspense>
        }
      />
      {/* Public: the calendar of upcoming 科普活动 needs no sign-in. */}
      <Route
        path="/public/calendar"
        element={
          <Suspense fallback={<FullPageSpin />}>
            <PublicCalendarPage />
          </Suspense>
        }
      />
      {/* Public: the published capacity index (科学素质建设能力指数) needs no sign-in. */}
      <Route
        path="/public/capacity"
        element={
          <Suspense fallback={<FullPageSpin />}>
            <PublicCapacityPage />
          </Suspense>
        }
      />
      {/* Public: confirmed and published 表彰奖励 need no sign-in. */}
      <Route
        path="/public/recognitions"
        element={
          <Suspense fallback={<FullPageSpin />}>
            <PublicRecognitionsPage />
          </Suspense>
        }
      />
      {/* Public: 为您推荐 (content and upcoming activities by county and group) needs no sign-in. */}
      <Route
        path="/public/for-you"
        element={
          <Suspense fallback={<FullPageSpin />}>
            <ForYouPage />
          </Suspense>
        }
      />
      {/* Public: 开放数据 (every published figure as csv/xlsx/JSON) needs no sign-in. */}
      <Route
        path="/public/open-data"
        element={
          <Suspense fallback={<FullPageSpin />}>
            <OpenDataPage />
          </Suspense>
        }
      />
      {/* Public: the citizen self-test needs no sign-in. */}
      <Route
        path="/self-test"
        element={
          <Suspense fallback={<FullPageSpin />}>
            <SelfTestPage />
          </Suspense>
        }
      />
      <Route
        element={
          <RequireAuth>
            <AppLayout />
          </RequireAuth>
        }
      >
        <Route index element={<HomePage />} />
        <Route path="units" element={<UnitsPage />} />
        <Route path="registries" element={<RegistriesPage />} />
        <Route path="registries/:kind" element={<RegistriesPage />} />
        <Route
          path="jurisdictions"
          element={
            <RequireRole roles={['admin']}>
              <JurisdictionsPage />
            </RequireRole>
          }
        />
        <Route
          path="users"
          element={
            <RequireRole roles={['admin']}>
              <UsersPage />
            </RequireRole>
          }
        />
        <Route
          path="audit"
          element={
            <RequireRole roles={['admin']}>
              <AuditPage />
            </RequireRole>
          }
        />
        <Route path="plans" element={<PlansPage />} />
        <Route path="plans/my-tasks" element={<UnitTasksPage />} />
        <Route
          path="plans/import"
          element={
            <RequireRole roles={['admin']}>
              <PlanImportPage />
            </RequireRole>
          }
        />
        <Route path="plans/:id" element={<PlanPage />} />
        <Route
          path="monitoring"
          element={
            <RequireRole roles={['admin', 'analyst', 'leader']}>
              <MonitoringPage />
            </RequireRole>
          }
        />
        <Route
          path="monitoring/upload"
          element={
            <RequireRole roles={['admin', 'analyst']}>
              <SurveyUploadPage />
            </RequireRole>
          }
        />
        <Route
          path="monitoring/margins"
          element={
            <RequireRole roles={['admin', 'analyst', 'leader']}>
              <MarginsPage />
            </RequireRole>
          }
        />
        <Route
          path="instruments"
          element={
            <RequireRole roles={['admin', 'analyst', 'leader']}>
              <InstrumentsPage />
            </RequireRole>
          }
        />
        <Route path="documents" element={<DocumentsPage />} />
        <Route
          path="assessments"
          element={
            <RequireRole roles={['admin', 'leader', 'analyst']}>
              <AssessmentsPage />
            </RequireRole>
          }
        />
        <Route path="assessments/mine" element={<MyAssessmentsPage />} />
        <Route
          path="assessments/:id"
          element={
            <RequireRole roles={['admin', 'leader', 'analyst']}>
              <AssessmentPage />
            </RequireRole>
          }
        />
        <Route
          path="funding"
          element={
            <RequireRole roles={['admin', 'leader', 'analyst']}>
              <FundingPage />
            </RequireRole>
          }
        />
        <Route
          path="capacity"
          element={
            <RequireRole roles={['admin', 'leader', 'analyst']}>
              <CapacityPage />
            </RequireRole>
          }
        />
        <Route
          path="recognitions"
          element={
            <RequireRole roles={['admin', 'leader', 'analyst']}>
              <RecognitionsPage />
            </RequireRole>
          }
        />
        <Route
          path="content"
          element={
            <RequireRole roles={['admin']}>
              <ContentPage />
            </RequireRole>
          }
        />
        <Route path="dashboard" element={<OverviewPage />} />
        <Route path="reporting" element={<InboxPage />} />
        <Route path="reporting/reports/:id" element={<ReportPage />} />
        <Route path="reporting/indicators" element={<IndicatorStatusPage />} />
        <Route
          path="reporting/review"
          element={
            <RequireRole roles={['admin', 'leader', 'analyst']}>
              <ReviewPage />
            </RequireRole>
          }
        />
        <Route
          path="reporting/cycles"
          element={
            <RequireRole roles={['admin']}>
              <CyclesPage />
            </RequireRole>
          }
        />
        <Route
          path="supervision"
          element={
            <RequireRole roles={['admin', 'leader', 'analyst']}>
              <NoticesPage />
            </RequireRole>
          }
        />
        <Route
          path="supervision/alerts"
          element={
            <RequireRole roles={['admin', 'leader', 'analyst']}>
              <AlertsPage />
            </RequireRole>
          }
        />
        <Route
          path="supervision/mine"
          element={
            <RequireRole roles={['reporter']}>
              <MyNoticesPage />
            </RequireRole>
          }
        />
        <Route path="supervision/notices/:id" element={<NoticePage />} />
        <Route path="activities" element={<ActivitiesPage />} />
        <Route path="activities/coverage" element={<CoveragePage />} />
        <Route
          path="activities/new"
          element={
            <RequireRole roles={['admin', 'reporter']}>
              <ActivityFormPage />
            </RequireRole>
          }
        />
        <Route path="activities/:id" element={<ActivityPage />} />
        <Route
          path="activities/:id/edit"
          element={
            <RequireRole roles={['admin', 'reporter']}>
              <ActivityFormPage />
            </RequireRole>
          }
        />
        <Route path="account" element={<AccountPage />} />
        <Route path={FORCED_PASSWORD_PATH.slice(1)} element={<ChangePasswordPage />} />
        <Route path="403" element={<ForbiddenPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
